"""The Show me the code tab: a standalone script (numpy + torch only, in the tutorial's style) that
reproduces the run, from linviz/export.py."""
import streamlit as st

from linviz import RunConfig
from linviz.export import standalone_script
from linviz.fields import BY_ATTR
from linviz.text import fmt_number
from linviz_app.live import LiveRun


def code_ui(cfg: RunConfig | None, live: LiveRun) -> None:
    run_cfg = live.cfg or cfg
    if run_cfg is None:
        st.info("Fix the settings to see the code.")
        return
    if run_cfg.is_sweep:  # the script trains one lr the tutorial's way; every run of a sweep is such a run
        st.caption(f"This is a sweep of {len(run_cfg.lrs)} learning rates. The script trains one learning rate, "
                   "as the tutorial does: choose which run it reproduces.")
        lr = st.selectbox(BY_ATTR["lr"].label, run_cfg.lrs, format_func=fmt_number, key="code_lr")
        run_cfg = run_cfg.replace(lr=lr if lr in run_cfg.lrs else run_cfg.lrs[0])
    source = standalone_script(run_cfg)
    st.caption("A standalone script (numpy + torch only, in the tutorial's style) that reproduces "
               + ("this run" if live.cfg else "the current settings")
               + ": same data, same initial weights, same updates. Learning-rate changes made during a run "
                 "are not in it.")
    st.download_button("Download the script", data=source, file_name="linviz_run.py", mime="text/x-python",
                       on_click="ignore", key="dl_script")
    st.code(source, language="python")
