from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"
    verbose_name = pgettext_lazy("application", "Incidents")

    def ready(self):
        # Connects the duplicate warning shown when an analyst saves an incident.
        from incidents.coding import duplicates  # noqa: F401
        # Adds "no likely duplicate published unanswered" to every approval (workflow.APPROVAL_RULES).
        from incidents.coding import duplicate_guard  # noqa: F401
        # A row written without history gets its baseline version before its first recorded change.
        from incidents.models import history_baseline

        history_baseline.connect([model for model in self.get_models()
                                  if getattr(model._meta, "simple_history_manager_attribute", None)
                                  and model.history.model is not model])
        # Registers the settings checks (SITE_URL).
        from incidents.operations import checks  # noqa: F401
