from django.urls import include, path

from mannerly.tickets import portal_views, views

desk = (
    [
        path("", views.inbox, name="inbox"),
        path("<int:ticket_id>/", views.ticket_page, name="ticket"),
    ],
    "tickets",
)

portal = (
    [
        path("", portal_views.ticket_list, name="tickets"),
        path("<int:ticket_id>/", portal_views.ticket_page, name="ticket"),
    ],
    "portal",
)

urlpatterns = [
    path("tickets/", include(desk)),
    path("portal/", include(portal)),
]
