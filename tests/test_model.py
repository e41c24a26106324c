import torch
from torch import nn

from linviz import LinearModel, initial_weights


def test_model_is_a_module_with_one_parameter_per_run():
    m = LinearModel(torch.tensor([1.0, 2.0, 3.0]), runs=4)
    assert isinstance(m, nn.Module)
    (p,) = list(m.parameters())
    assert isinstance(p, nn.Parameter)
    assert p.shape == (4, 3)


def test_forward_is_w_dot_x_and_has_gradients():
    m = LinearModel(torch.tensor([1.0, 2.0]), runs=2)
    with torch.no_grad():
        m.weight[1] = torch.tensor([3.0, -1.0])
    x = torch.tensor([2.0, 5.0])
    assert torch.equal(m(x), torch.tensor([12.0, 1.0]))
    assert torch.equal(m(torch.stack([x, x])), torch.tensor([[12.0, 12.0], [1.0, 1.0]]))  # (R, B)
    m(x).sum().backward()
    assert torch.equal(m.weight.grad, torch.stack([x, x]))


def test_initial_weights_are_torch_randn_from_the_seed():
    torch.manual_seed(5)
    expected = torch.randn(7)  # the tutorial's global-RNG call, seeded: the same stream
    assert torch.equal(initial_weights(7, 5), expected)
    assert not torch.equal(initial_weights(7, 6), expected)
