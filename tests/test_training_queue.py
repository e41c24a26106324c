"""The training cap's line (linviz_app/training_cap.py): first come first served, a place given up on Stop,
Reset or a closed tab, stale tickets dropped, and what a waiting page says."""
import threading

from linviz_app.st_internals import is_rerun
from linviz_app.training_cap import STALE_S, TrainingCap, waiting_message


def test_waiting_sessions_are_served_in_the_order_they_came():
    cap = TrainingCap(1)
    assert cap.try_acquire("a")
    assert [cap.try_acquire(t) for t in "bcd"] == [False] * 3
    assert [cap.ahead(t) for t in "bcd"] == [0, 1, 2]
    cap.release()
    assert not cap.try_acquire("c") and not cap.try_acquire("d")  # a free place, but b came first
    assert [cap.ahead(t) for t in "bcd"] == [0, 1, 2]  # asking again keeps one's place, it does not move back
    assert cap.try_acquire("b")
    assert [cap.ahead(t) for t in "cd"] == [0, 1] and cap.waiting() == 2
    cap.release()
    assert cap.try_acquire("c")
    cap.release()
    assert cap.try_acquire("d") and cap.waiting() == 0


def test_several_free_places_go_to_the_first_in_line():
    cap = TrainingCap(2)
    assert cap.try_acquire("a") and cap.try_acquire("b")
    assert not cap.try_acquire("c") and not cap.try_acquire("d") and not cap.try_acquire("e")
    cap.release()
    cap.release()
    assert not cap.try_acquire("e")  # third in line, two places
    assert cap.try_acquire("d") and cap.try_acquire("c")  # the first two, in either order of asking
    assert cap.ahead("e") == 0 and not cap.try_acquire("e")


def test_a_session_that_leaves_the_line_frees_its_place():
    cap = TrainingCap(1)
    cap.try_acquire("a")
    for t in "bcd":
        cap.try_acquire(t)
    cap.leave("b")  # Stop, Reset or a closed tab while waiting
    assert cap.ahead("c") == 0 and cap.ahead("d") == 1
    cap.leave("nobody")  # leaving twice, or without a ticket, is harmless
    cap.release()
    assert cap.try_acquire("c")


def test_a_ticket_no_longer_heard_of_is_dropped():
    now = [0.0]
    cap = TrainingCap(1, clock=lambda: now[0])
    cap.try_acquire("a")
    cap.try_acquire("gone")  # a session whose tab closed without a word
    now[0] += 1.0
    cap.try_acquire("b")
    assert cap.ahead("b") == 1
    now[0] += STALE_S  # "b" keeps asking, "gone" does not
    cap.try_acquire("b")
    assert cap.ahead("b") == 0 and cap.waiting() == 1


def test_without_a_ticket_any_free_place_is_taken():
    cap = TrainingCap(1)
    assert cap.try_acquire() and not cap.try_acquire()
    cap.release()
    assert cap.try_acquire()


def test_threads_get_their_places_in_the_order_they_came():
    cap, order, lock = TrainingCap(1), [], threading.Lock()
    assert cap.try_acquire("first")
    tickets = [f"s{i}" for i in range(6)]
    for t in tickets:  # they join the line in this order
        assert not cap.try_acquire(t)
    done = threading.Event()

    def student(t):
        while not cap.try_acquire(t):
            done.wait(0.001)
        with lock:
            order.append(t)
        cap.release()
    threads = [threading.Thread(target=student, args=(t,)) for t in reversed(tickets)]  # ask in reverse
    for th in threads:
        th.start()
    cap.release()
    for th in threads:
        th.join(30)
    assert order == tickets
    assert cap.busy == 0 and cap.waiting() == 0


def test_the_waiting_page_says_how_many_are_ahead():
    assert waiting_message(3, 4).startswith("Waiting for a free slot: 3 students ahead of you.")
    assert "1 student ahead of you" in waiting_message(1, 4)
    assert "you are next" in waiting_message(0, 4) and "one of the 4 runs" in waiting_message(0, 4)
    assert "the run training" in waiting_message(0, 1)


def test_a_click_is_a_rerun_and_a_closed_tab_is_not():
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException
    assert is_rerun(RerunException(None))
    assert not is_rerun(StopException()) and not is_rerun(KeyboardInterrupt())


def test_a_waiting_page_says_how_many_are_ahead_and_leaves_the_line_on_stop(monkeypatch):
    from helpers_page import app, texts

    from linviz_app.training_cap import TRAINING_CAP
    monkeypatch.setattr(TRAINING_CAP, "limit", 0)
    TRAINING_CAP.try_acquire("another student")  # came first
    try:
        at = app()
        live = at.session_state["live"]
        TRAINING_CAP.try_acquire("another student")  # still waiting (a slow app() must not make its ticket stale)
        timer = threading.Timer(1.5, live.stop)  # the student gives up waiting: Stop
        timer.start()
        at.button(key="btn_train").click().run()
        timer.join()
        assert not at.exception
        assert "Waiting for a free slot: 1 student ahead of you." in texts(at.warning)
        assert live.state is None or live.state.epoch == 0
        at.run()  # the page after Stop: this session has left the line, the one before it has not
        assert TRAINING_CAP.ahead(live) == 1 == TRAINING_CAP.waiting()
        assert TRAINING_CAP.busy == 0
    finally:
        TRAINING_CAP.leave("another student")


def test_a_click_mid_training_keeps_the_place_a_stop_gives_it_up():
    """A click (another tab, the speed, the language) reruns the script mid-training: the run goes on in the next
    script run, in its own place; a student waiting in line does not take it (a review found it did)."""
    cap = TrainingCap(1)
    assert cap.try_acquire("trainer")
    assert not cap.try_acquire("waiter")
    cap.keep("trainer")  # the click's rerun interrupted the training
    assert not cap.try_acquire("waiter") and cap.busy == 1
    assert cap.try_acquire("trainer") and cap.busy == 1  # the next script run carries on in the same place
    cap.keep("trainer")
    cap.leave("trainer")  # that click was Stop (or Pause, or Reset)
    assert cap.busy == 0 and cap.try_acquire("waiter")


def test_a_kept_place_nobody_comes_back_for_is_freed():
    now = [0.0]
    cap = TrainingCap(1, clock=lambda: now[0])
    cap.try_acquire("trainer")
    cap.keep("trainer")  # ... and the tab closed before the next script run
    now[0] += STALE_S + 1
    assert cap.try_acquire("waiter") and cap.busy == 1
