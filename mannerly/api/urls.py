from django.urls import path

from mannerly.api.main import api

urlpatterns = [path("", api.urls)]
