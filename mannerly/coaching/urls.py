from django.urls import path

from mannerly.coaching import views

app_name = "coaching"

urlpatterns = [
    path("tickets/<int:ticket_id>/lint/", views.lint_draft, name="lint"),
    path("tickets/<int:ticket_id>/flag/", views.flag_customer, name="flag_customer"),
    path("settings/", views.settings_list, name="settings"),
    path("settings/<int:team_id>/", views.team_settings, name="team_settings"),
    path("sent-anyway/", views.sent_anyway, name="sent_anyway"),
]
