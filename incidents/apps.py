from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        # Connects the duplicate warning shown when an analyst saves an incident.
        from incidents.coding import duplicates  # noqa: F401
