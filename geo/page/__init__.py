"""The Streamlit page's logic, computed without Streamlit where it can be."""
