"""The dashboard's parts that know about Plotly or Streamlit; the core (linviz/) knows neither.

Read in the page's order (dashboard.py is the outline):
  sidebar.py        the sidebar: preset, settings (widgets.py: one widget per field), lr hint (lr_hint.py),
                    downloads; returns (config, errors)
  controls.py       Train / Stop / Pause / Step / Reset, speed, and their callbacks
  live.py           the session's run and its state machine; training_cap.py: trainings at once per server, and the line
  session.py        what a session keeps: its live run, analyses, pinned runs
  board.py          status line, progress bar and the open tab's live view, redrawn by the live loop
  training_tab.py, landscape_tab.py, ladder_tab.py, compare_tab.py, code_tab.py: one module per tab
  charts.py, sweep_charts.py, lr_charts.py: pure chart builders (History view -> Plotly figure)
  safe.py           user text shown escaped
"""
