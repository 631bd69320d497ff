from django.urls import path

from mannerly.mail import views

app_name = "mail"

urlpatterns = [
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:raw_id>/reprocess/", views.reprocess_one, name="reprocess"),
    path("raw/<int:raw_id>.eml", views.download_raw, name="raw"),
]
