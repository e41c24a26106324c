"""The Show me the code tab: a standalone script (numpy + torch only, in the tutorial's style) that
reproduces the run, from linviz/export.py; its comments in the page's language, its code the same in each."""
import streamlit as st

from linviz import RunConfig
from linviz.export import standalone_script
from linviz.fields import BY_ATTR
from linviz.text import fmt_number
from linviz_app import i18n
from linviz_app.i18n import t, tr
from linviz_app.live import LiveRun


def code_ui(cfg: RunConfig | None, live: LiveRun) -> None:
    run_cfg = live.cfg or cfg
    if run_cfg is None:
        st.info(t("code.fix_settings"))
        return
    if run_cfg.is_sweep:  # the script trains one lr the tutorial's way; every run of a sweep is such a run
        st.caption(t("code.sweep", n=len(run_cfg.lrs)))
        lr = st.selectbox(tr(BY_ATTR["lr"].label), run_cfg.lrs, format_func=fmt_number, key="code_lr")
        run_cfg = run_cfg.replace(lr=lr if lr in run_cfg.lrs else run_cfg.lrs[0])
    source = standalone_script(run_cfg, lang=i18n.current())
    st.caption(t("code.about_run" if live.cfg else "code.about_settings"))
    st.download_button(t("code.download"), data=source, file_name="linviz_run.py", mime="text/x-python",
                       on_click="ignore", key="dl_script")
    st.code(source, language="python")
