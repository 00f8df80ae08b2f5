"""The public site: pages anyone can read, composed from both apps' selectors."""
