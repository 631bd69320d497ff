"""unedited-template: placeholders left in; a placeholder explained in code is fine."""

import pytest

from tests.etiquette.cases import findings
from tests.etiquette.rules.phrase_cases import wrap

RULE = "unedited-template"

FIRING = [
    ("en", "Your order {{order_number}} has shipped."),
    ("en", "Dear [Customer name], your order has shipped."),
    ("en", "Your tracking number is XXX."),
    ("zh", "某某先生，您的订单已发货。"),
    ("zh", "您的订单【订单号】已发货。"),
    ("zh", "您好，此处填写客户姓名，您的订单已发货。"),
    ("zh", "您的快递单号是（输入单号），请查收。"),
    ("uk", "Ваше замовлення [номер замовлення] відправлено."),
    ("ru", "Уважаемый [Имя клиента], ваш заказ отправлен."),
    ("ru", "Ваш заказ <NAME> отправлен."),
]


@pytest.mark.parametrize(("lang", "sentence"), FIRING)
def test_placeholder_left_in_is_an_error(lang, sentence):
    draft = wrap(lang, sentence)
    found = findings(draft, lang, RULE)
    assert found and found[0]["severity"] == "error"
    assert draft[found[0]["start"] : found[0]["end"]].strip()


CLEAN = [
    ("en", "In your email template, type `{{first_name}}` where the name should go."),
    ("en", "The XXL size is back in stock."),
    ("zh", "请在模板里输入 `{{name}}`。"),
    ("zh", "选择“编辑配送信息”，填写新地址后保存即可。"),
    ("zh", "请输入注册手机号，收到验证码后设置新密码。"),
    ("uk", "У шаблоні листа вставте змінну `{{name}}`."),
    ("ru", "В шаблоне письма используйте переменную `{{name}}`."),
]


@pytest.mark.parametrize(("lang", "sentence"), CLEAN)
def test_placeholder_in_code_or_an_ordinary_word_is_fine(lang, sentence):
    assert findings(wrap(lang, sentence), lang, RULE) == []
