"""/healthz for load balancers: is the database reachable and fully migrated?"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    report = {"database": "ok", "migrations": "ok"}
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            report["migrations"] = f"{len(pending)} unapplied"
    except DatabaseError as error:
        # A broken connection must not stay cached for the next request.
        connection.close()
        report = {"database": f"unavailable: {error.__class__.__name__}", "migrations": "unknown"}
    healthy = report == {"database": "ok", "migrations": "ok"}
    response = JsonResponse({"status": "ok" if healthy else "fail", **report}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = "30"
    return response
