from django.shortcuts import get_object_or_404, render

from incidents.models import Incident


def incident_detail(request, pk):
    incident = get_object_or_404(Incident.objects.filter(status=Incident.Status.APPROVED), pk=pk)
    return render(request, "incidents/incident_detail.html", {"incident": incident})
