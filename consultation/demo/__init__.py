"""Demo content: made-up comments, contributors and consultations."""
