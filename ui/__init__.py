"""Streamlit pieces shared by the screens."""
