"""The dashboard's parts that know about Plotly or Streamlit; the core (linviz/) knows neither."""
