"""Security basics, checked on the source: nothing a user typed is evaluated, unpickled or sent as HTML."""
import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "linviz").glob("*.py")), *sorted((ROOT / "linviz_app").glob("*.py"))]


def calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            yield node, (f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")


def test_no_eval_exec_or_pickle_anywhere():
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        builtins_called = {n.func.id for n, _ in calls(tree) if isinstance(n.func, ast.Name)}
        assert not builtins_called & {"eval", "exec", "compile", "__import__"}, path
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for a in n.names} | {n.module.split(".")[0] for n in ast.walk(tree)
                                         if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & {"pickle", "cloudpickle", "dill", "marshal", "shelve"}, path
        for node, name in calls(tree):
            if name == "load" and "torch" in ast.unparse(node.func):
                raise AssertionError(f"torch.load (pickle) in {path}")


def test_no_raw_html_from_user_input():
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node, name in calls(tree):
            for kw in node.keywords:
                assert not (kw.arg == "unsafe_allow_html" and ast.unparse(kw.value) != "False"), path
            if name == "html":  # st.html: only the page's own constant style sheets (the layout, the presenter's)
                assert [ast.unparse(a) for a in node.args] == ["CSS"], f"{path}: {ast.unparse(node)}"


def test_xsrf_on_and_no_usage_statistics():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False


def test_the_page_imports_nothing_that_talks_to_the_network():
    """linviz/serve.py is not the page: it supervises the page's processes and asks their /_stcore/health on this
    machine; no page module imports it."""
    network = {"urllib", "requests", "httpx", "socket", "http", "aiohttp", "websocket", "ftplib", "smtplib"}
    for path in SOURCES:
        if path == ROOT / "linviz" / "serve.py":
            page = [ROOT / "dashboard.py", *(ROOT / "linviz_app").glob("*.py")]
            assert not [p for p in page if re.search(r"linviz\.serve|from linviz import .*\bserve\b", p.read_text())]
            continue
        tree = ast.parse(path.read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & network, path
