"""A small, realistic desk for the browser tests and screenshots: four languages, flags, notes."""

from datetime import timedelta

from django.utils import timezone

from mannerly.tickets import actions
from mannerly.tickets.models import Organization, Ticket


def furnish(anna, wang_fang, olena, andrey, oleh, mei, sofia, team):
    """Open a handful of tickets the way customers and agents would; returns Anna's main one."""
    for user, signature in ((oleh, "Oleh Kovalenko\nMannerly support"), (mei, "Mei Lin")):
        user.signature = signature
        user.save(update_fields=["signature"])
    anna.organization = Organization.objects.create(name="Acme Ltd", domain="example.com")
    anna.save(update_fields=["organization"])
    now = timezone.now()
    main = actions.do_open_ticket(
        anna,
        "Charged twice for my March invoice",
        "Hello,\n\nI was charged twice for invoice 2031 this month. "
        "Can you refund the second charge?\n\nThanks,\nAnna",
        team=team,
        priority=Ticket.Priority.HIGH,
        attachments=[("bank-statement.pdf", "application/pdf", b"%PDF-1.4 statement")],
    )
    actions.do_add_note(main, sofia, "Finance confirmed the duplicate charge on 3 March.")
    actions.do_customer_message(
        main,
        anna,
        "",
        from_email="anna@example.com",
        body_html=(
            "<p>Hi again,</p><p>Here are the two charges from my bank statement:</p>"
            "<table><tr><th>Date</th><th>Amount</th></tr><tr><td>3 March</td><td>€49.00</td></tr>"
            "<tr><td>3 March</td><td>€49.00</td></tr></table>"
            "<blockquote>On 2 March, Mannerly wrote: your invoice 2031 is ready.</blockquote>"
            "<p>Best,<br><b>Anna</b></p>"
        ),
    )
    Ticket.objects.filter(pk=main.pk).update(first_response_due=now + timedelta(hours=3))
    others = [
        (wang_fang, "订单还没有发货", "你好，我的订单 #8841 已经一周了还没有发货，请尽快处理。", 4),
        (olena, "Не працює вхід у кабінет", "Добрий день! Після оновлення не можу увійти.", 2),
        (andrey, "Вопрос по доставке", "Здравствуйте, когда придёт мой заказ?", 2),
        (anna, "How do I export my data?", "Is there a CSV export for all invoices?", 1),
        (wang_fang, "发票抬头错误", "发票上的公司名称写错了，请帮忙更改。", 3),
        (olena, "Рахунок-фактура за лютий", "Надішліть, будь ласка, рахунок за лютий.", 2),
    ]
    for customer, subject, body, priority in others:
        actions.do_open_ticket(customer, subject, body, team=team, priority=priority)
    actions.do_flag_customer(andrey, sofia, "abusive", "Shouted at the phone agent twice.")
    waiting = actions.do_open_ticket(andrey, "Возврат денег", "Верните деньги за заказ 5521.")
    actions.do_reply(waiting, mei, "Здравствуйте! Уточните, пожалуйста, номер карты.\n\nMei")
    return main
