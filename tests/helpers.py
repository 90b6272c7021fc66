def close_file(response):
    """Close a FileResponse's file without ``response.close()``.

    ``response.close()`` also sends ``request_finished``, whose ``close_old_connections`` handler
    would close the test's PostgreSQL connection in the middle of its transaction.
    """
    for closer in getattr(response, "_resource_closers", []):
        closer()
    response._resource_closers.clear()


def log_in_steps(client, data: dict, *, org: str = "qrv"):
    """Log an activity through its steps as a person would: step 1 creates it, then each later step is
    posted with the version its page was loaded with. Each step reads only its own fields from ``data``.

    Returns the first response that is not a redirect (a refused step), or the last step's redirect.
    """
    from engagements.models import Activity
    from engagements.steps import STEPS

    response = client.post(f"/{org}/activities/new/", data)
    if response.status_code != 302:
        return response
    activity = Activity.objects.latest("pk")
    for step in sorted(STEPS)[1:]:
        activity.refresh_from_db()
        response = client.post(
            f"/{org}/activities/{activity.pk}/steps/{step}/", {**data, "version": str(activity.version)}
        )
        if response.status_code != 302:
            return response
    return response
