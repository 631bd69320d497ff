from django.urls import path

from mannerly.sla import views

app_name = "sla"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path(
        "acknowledgements/<int:team_id>/<str:language>/",
        views.edit_acknowledgement,
        name="edit-acknowledgement",
    ),
]
