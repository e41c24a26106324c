"""The page's shape on the screen it is on: projectors (1024x768, 1280x720, 1366x768), laptops and phones.

The rule is charts, not chrome: the open tab's controls and its two charts fit in the window together, without
scrolling. The chrome shrinks to make room, never the charts below the fold:
- the title sits in the band of Streamlit's header, drawn above it, and everything clickable starts below it; the
  header stays opaque, so what scrolls under it is hidden, not clicked by a tap on the header;
- the buttons, the speed and the presenter toggle are one compact row where the width allows; Pause/Resume, when
  too narrow for "Resume" and its shortcut letter, drops the letter (its tooltip still names it), never the label;
- messages take smaller type on a short screen;
- the progress bar sits under the status line; its label (the epoch, and the timing: how fast this server trains)
  shows on a tall screen only;
- on a phone the controls are a bar at the bottom of the screen, within a thumb's reach, and the charts come first;
  the presenter toggle goes: a phone is no projector, and the presenter view there looks like the normal one.
The charts' heights follow the window (static/live_chart.js fits the Training and Data tabs' pairs of charts into
what is left below them), so this file only makes room. A phone is a window up to 640 px wide: Streamlit's own
breakpoint for stacking columns.
"""
import streamlit as st

CSS = """<style>
[data-testid=stHeader] {background: var(--st-background-color, #fff);}
.stMain .block-container {padding-top: 0.7rem; padding-bottom: 1rem;}
@media (max-width: 1400px) {.stMain .block-container {padding-left: 1.6rem; padding-right: 1.6rem;}}
.stMain [data-testid=stVerticalBlock] {gap: 0.55rem;}
.st-key-page_title {min-height: 2.65rem; max-width: calc(100% - 10.5rem); justify-content: center; position: relative;
  z-index: 999991;}  /* above the header (z-index 999990), in its band */
.st-key-page_title h3 {font-size: 1.45rem; line-height: 1.2; padding: 0; margin: 0;}
.st-key-page_title, .st-key-page_title * {pointer-events: none;}  /* words only: taps go to the buttons under it */
body:has([data-testid=stSidebar][data-collapsed=true]) .st-key-page_title,
body:not(:has([data-testid=stSidebar])) .st-key-page_title {padding-left: 2.3rem;}
.st-key-controls [data-testid=stHorizontalBlock] {flex-wrap: wrap; row-gap: 0.45rem; column-gap: 0.6rem;}
.st-key-controls [data-testid=stColumn] {min-width: 4.6rem;}
.st-key-controls [data-testid=stColumn]:nth-child(6) {min-width: 10rem;}
.st-key-controls [data-testid=stColumn]:nth-child(7) {min-width: 8.5rem;}
.st-key-controls button {min-height: 2.3rem; padding: 0.15rem 0.5rem;}
.st-key-controls [data-testid=stColumn]:nth-child(3) {container-type: inline-size;}
@container (max-width: 7.8rem) {.st-key-controls button kbd {display: none;}}
@media (max-height: 820px) {.stMain [data-testid=stAlert] :is(p, li) {font-size: 0.85rem;}}
.st-key-controls [data-testid=stWidgetLabel] p {font-size: 0.8rem;}
.st-key-controls [data-testid=stSlider] > div {padding-top: 0;}
.st-key-chart_toggles, .st-key-chart_toggles label p {font-size: 0.85rem;}
.st-key-chart_toggles [data-testid=stHorizontalBlock] {flex-wrap: wrap; row-gap: 0.2rem;}
.st-key-chart_toggles [data-testid=stColumn] {min-width: 9rem;}
.stMain [data-testid=stAlert] > div {padding-top: 0.45rem; padding-bottom: 0.45rem;}
.stMain [data-testid=stProgress] p {display: none;}
@media (min-height: 900px) and (min-width: 641px) {.stMain [data-testid=stProgress] p {display: block; font-size: 0.75rem;
  opacity: 0.7;}}
.stMain .stElementContainer:has(> div > [data-testid=stProgress]) {margin-top: -0.35rem;}
.stMain [data-baseweb=tab] {padding-top: 0.2rem; padding-bottom: 0.2rem;}
.st-key-chart_pair [data-testid=stHorizontalBlock], .st-key-data_pair [data-testid=stHorizontalBlock]
  {flex-wrap: wrap; row-gap: 0.6rem;}
.st-key-chart_pair [data-testid=stColumn], .st-key-data_pair [data-testid=stColumn] {min-width: 14rem;}
@media (max-width: 640px) {
  /* the open sidebar covers the page there: the title, drawn above everything, must not sit on its top */
  body:has([data-testid=stSidebar][data-collapsed=false]) .st-key-page_title {opacity: 0;}
  .st-key-page_title {max-width: calc(100% - 9rem); min-height: 2.6rem;}
  .st-key-page_title h3 {font-size: 0.95rem;}
  .stMain .block-container {padding-left: 0.7rem; padding-right: 0.7rem; padding-bottom: 7.5rem;}
  .st-key-controls {position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000; background: #fff;
    padding: 0.35rem 0.6rem 0.45rem; box-shadow: 0 -2px 10px rgba(0, 0, 0, 0.15);}
  .st-key-controls [data-testid=stHorizontalBlock] {column-gap: 0.35rem; row-gap: 0.1rem;}
  .st-key-controls [data-testid=stColumn] {min-width: 0 !important; flex: 1 1 15% !important; width: auto !important;}
  .st-key-controls [data-testid=stColumn]:nth-child(6) {flex: 1 1 100% !important;}
  .st-key-controls [data-testid=stColumn]:nth-child(7) {display: none;}
  .st-key-controls button {min-height: 2.75rem; padding: 0.1rem 0.2rem;}
  .st-key-controls button p {font-size: 0.8rem;}
  .st-key-controls button kbd {display: none;}
  .st-key-controls [data-testid=stWidgetLabel] p, .st-key-controls label p {font-size: 0.75rem;}
  .st-key-controls [data-testid=stTooltipIcon] {display: none;}
  .st-key-speed [data-testid=stSlider] {display: flex; align-items: center; column-gap: 0.5rem;}
  .st-key-speed [data-testid=stSlider] > label {flex: 0 0 28%; margin: 0;}
  .st-key-speed [data-testid=stSlider] > label p {line-height: 1.15;}
  .st-key-speed [data-testid=stSlider] > div {flex: 1 1 auto;}
  .st-key-chart_toggles [data-testid=stColumn] {min-width: 0 !important; flex: 1 1 0 !important;}
  .st-key-chart_toggles [data-testid=stColumn]:nth-child(3) {display: none;}
  .stMain [data-testid=stAlert] p {font-size: 0.8rem;}
}
</style>"""  # `:has` and `:is`: in every browser a class brings (Chromium 105+, Safari 15.4+, Firefox 121+)


def apply() -> None:
    """The layout's styles, on every page, before anything is drawn."""
    st.html(CSS)
