"""
The staff site: pages under /staff/ assembled from both apps, and the pages that
span both (the legal deadlines due today).
"""
