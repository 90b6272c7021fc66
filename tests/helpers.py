def close_file(response):
    """Close a FileResponse's file without ``response.close()``.

    ``response.close()`` also sends ``request_finished``, whose ``close_old_connections`` handler
    would close the test's PostgreSQL connection in the middle of its transaction.
    """
    for closer in getattr(response, "_resource_closers", []):
        closer()
    response._resource_closers.clear()
