"""Objects each app adds to the URL-walk ``world`` (so every URL can be built with real IDs).

Each function takes the world built so far and returns a dict of new entries.
"""

EXTENSIONS = []
