"""Import, once per server process and before any page runs, everything a page would otherwise import lazily.

Every student's page runs in a thread of one server process. A module imported for the first time in one thread
is visible to the others half-built: Streamlit's st.dataframe imports pandas lazily, and Plotly's validators look
pandas up in sys.modules without importing it, so one student opening the Data tab while another trains gave the
trainer `AttributeError: partially initialized module 'pandas' has no attribute 'Series'` and a frozen run.

`warm()` is the first thing dashboard.py does in every script run: the first caller imports and exercises
everything below (pandas, pyarrow, Plotly's validators and JSON encoder, Streamlit's dataframe conversion, every
locale) while later callers wait on the lock; once done it costs a flag check. It also opens the process's memory
ledger (linviz/memory.py), so that its baseline is the process before any session's data.
"""
import gc
import importlib
import threading

MODULES = (  # what Streamlit and Plotly import on first use somewhere in a page's life
    "pandas", "pyarrow", "plotly.graph_objects", "plotly.io", "plotly.io._json", "_plotly_utils.basevalidators",
    "streamlit.dataframe_util", "streamlit.elements.arrow", "streamlit.elements.plotly_chart",
    "streamlit.elements.lib.column_config_utils", "linviz.analysis", "linviz.landscape", "linviz.export",
)
_lock = threading.Lock()
_done = False


def warm() -> None:
    """Import and exercise everything lazily imported by a page, once per process; other threads wait for it."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        for name in MODULES:
            importlib.import_module(name)
        _exercise()
        from linviz.memory import ledger
        from linviz_app.live import LiveRun
        from linviz_app.st_internals import expire_closed_sessions

        def let_go(value) -> None:  # an expired session's run: its data, engine and history go now
            if isinstance(value, LiveRun):
                value.reset()

        ledger().tidy_hooks.append(lambda: expire_closed_sessions(let_go))  # the ledger opens here, before any session
        gc.freeze()  # what is imported stays: the memory janitor's collections need not walk it again (0.1 s each)
        _done = True


def _exercise() -> None:
    """Run the code paths that import more on first use: a table to Arrow, a validated figure to JSON."""
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go
    from streamlit import dataframe_util

    from linviz.say import LANGS, TEXTS

    frame = pd.DataFrame({"x": np.arange(3.0), "label": ["a", "b", "c"]})
    dataframe_util.convert_anything_to_arrow_bytes(frame)
    dataframe_util.convert_anything_to_arrow_bytes({"x": [1.0, 2.0], "y": ["a", "b"]})
    fig = go.Figure([go.Scatter(x=pd.Series([1, 2]), y=np.array([1.0, 2.0])), go.Heatmap(z=[[1, 2], [3, 4]]),
                     go.Bar(x=["a"], y=[1])])
    fig.to_json()
    assert set(TEXTS) == set(LANGS)  # every locale is imported with linviz.say
