"""Reading Plotly figures in tests: a trace's numbers, and a figure checked by Plotly's own validation."""
import base64

import numpy as np
import plotly.graph_objects as go


def arr(x) -> np.ndarray:
    """A trace's numbers, whether Plotly kept a list or packed a typed array ({'dtype', 'bdata', 'shape'})."""
    if isinstance(x, dict):
        a = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"])
        return a.reshape([int(n) for n in str(x["shape"]).split(",")]) if "shape" in x else a
    return np.asarray(x)


def valid(fig: go.Figure) -> dict:
    """Re-build with Plotly's validation on (a typo in a property name fails here); return the figure's dict."""
    spec = fig.to_dict()
    go.Figure(spec)
    return spec
