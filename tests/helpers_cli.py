"""What every command-line test expects of an error: one line, no traceback."""


def assert_one_line_without_traceback(err: str) -> None:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
