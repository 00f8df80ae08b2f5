"""Demo content: draft texts of the 2024 regulations, written for the demo."""
