from django.urls import include, path

from mannerly.tickets import portal_views, views, views_files, views_ticket

desk = (
    [
        path("", views.inbox, name="inbox"),
        path("bulk/", views.bulk, name="bulk"),
        path("<int:ticket_id>/", views_ticket.ticket_page, name="ticket"),
        path("<int:ticket_id>/reply/", views_ticket.reply, name="reply"),
        path("<int:ticket_id>/note/", views_ticket.note, name="note"),
        path("<int:ticket_id>/assign/", views_ticket.assign, name="assign"),
        path("<int:ticket_id>/status/", views_ticket.change_status, name="status"),
        path("<int:ticket_id>/properties/", views_ticket.properties, name="properties"),
        path("<int:ticket_id>/merge/", views_ticket.merge, name="merge"),
        path("<int:ticket_id>/messages/<int:message_id>/split/", views_ticket.split, name="split"),
        path(
            "attachments/<int:attachment_id>/",
            views_files.staff_attachment,
            name="attachment",
        ),
    ],
    "tickets",
)

portal = (
    [
        path("", portal_views.ticket_list, name="tickets"),
        path("new/", portal_views.new_request, name="new"),
        path("<int:ticket_id>/", portal_views.ticket_page, name="ticket"),
        path("<int:ticket_id>/reply/", portal_views.reply, name="reply"),
        path(
            "attachments/<int:attachment_id>/",
            views_files.portal_attachment,
            name="attachment",
        ),
    ],
    "portal",
)

urlpatterns = [
    path("tickets/", include(desk)),
    path("portal/", include(portal)),
]
