"""The Streamlit interface: session handling, navigation per role, and one module per page."""
