"""The customer directory: staff search and edit it; customers see only themselves, never flags."""

from mannerly.tickets import actions
from mannerly.tickets.models import Customer, CustomerFlag, Organization


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_staff_search_by_name_or_address(as_user, oleh, anna, olena, wang_fang):
    client = as_user(oleh)
    assert names(client.get("customers")) == sorted(["Anna Smith", "Олена Коваль", "王芳"])
    assert names(client.get("customers", {"q": "smith"})) == ["Anna Smith"]
    assert names(client.get("customers", {"q": "example.ua"})) == ["Олена Коваль"]
    assert names(client.get("customers", {"q": "王"})) == ["王芳"]


def test_list_runs_a_fixed_number_of_queries(as_user, oleh, django_assert_max_num_queries):
    client = as_user(oleh)
    for n in range(25):
        customer = actions.do_create_customer(
            oleh, f"Customer {n}", [f"c{n}@example.com", f"d{n}@example.com"]
        )
        actions.do_flag_customer(customer, oleh, "vip")
    with django_assert_max_num_queries(8):
        assert len(names(client.get("customers", {"limit": 25}))) == 25


def test_customer_sees_only_themselves_without_notes_or_flags(as_user, anna, olena, oleh):
    actions.do_flag_customer(anna, oleh, "abusive", "Shouted at Mei.")
    client = as_user(anna.user)
    body = client.get("customers").json()
    assert [item["id"] for item in body["items"]] == [anna.pk]
    own = client.get(f"customers/{anna.pk}").json()
    assert "flags" not in own and "notes" not in own and "Shouted" not in str(own)
    assert client.get(f"customers/{olena.pk}").status_code == 404
    assert client.get("customers", {"flag": "abusive"}).json()["count"] == 1  # still only herself


def test_staff_create_a_customer(as_user, oleh):
    org = Organization.objects.create(name="Acme")
    response = as_user(oleh).post(
        "customers",
        {
            "name": "Андрей Иванов",
            "emails": ["Andrey@Example.ru", "a.ivanov@example.ru"],
            "language": "ru",
            "time_zone": "Europe/Moscow",
            "organization": org.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "andrey@example.ru" and len(body["emails"]) == 2
    assert body["organization"] == {"id": org.pk, "name": "Acme"} and body["flags"] == []


def test_address_of_another_customer_is_a_conflict(as_user, oleh, anna):
    response = as_user(oleh).post(
        "customers", {"name": "Fake Anna", "emails": ["anna@example.com"]}
    )
    assert response.status_code == 409 and "anna@example.com" in response.json()["detail"]
    assert not Customer.objects.filter(name="Fake Anna").exists()


def test_bad_addresses_zones_and_languages_are_422(as_user, oleh):
    response = as_user(oleh).post(
        "customers",
        {"name": "X", "emails": ["not-an-address"], "time_zone": "Mars/Olympus", "language": "de"},
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"][:2]) for e in response.json()["errors"]}
    assert locs == {("body", "emails"), ("body", "time_zone"), ("body", "language")}


def test_staff_update_a_customer(as_user, oleh, anna):
    response = as_user(oleh).patch(
        f"customers/{anna.pk}",
        {
            "time_zone": "Europe/London",
            "emails": ["anna@new.example", "anna@example.com"],
            "notes": "Prefers email.",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["time_zone"] == "Europe/London" and body["email"] == "anna@new.example"
    anna.refresh_from_db()
    assert anna.notes == "Prefers email." and anna.language == "en"


def test_customer_cannot_change_records(as_user, anna):
    client = as_user(anna.user)
    assert client.patch(f"customers/{anna.pk}", {"notes": "VIP please"}).status_code == 404
    assert client.post("customers", {"name": "Sock puppet"}).status_code == 404
    anna.refresh_from_db()
    assert anna.notes == ""


def test_flags_travel_with_the_customer_and_can_be_retired(as_user, oleh, anna):
    client = as_user(oleh)
    created = client.post(
        f"customers/{anna.pk}/flags", {"kind": "legal", "note": "Mentioned a lawyer."}
    )
    assert created.status_code == 201
    flag_id = created.json()["id"]
    assert [f["kind"] for f in client.get(f"customers/{anna.pk}").json()["flags"]] == ["legal"]
    retired = client.delete(f"customers/{anna.pk}/flags/{flag_id}")
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert client.get(f"customers/{anna.pk}").json()["flags"] == []
    assert [f["active"] for f in client.get(f"customers/{anna.pk}/flags").json()] == [False]
    assert CustomerFlag.objects.get(pk=flag_id).active is False


def test_flag_of_another_customer_is_404(as_user, oleh, anna, olena):
    flag = actions.do_flag_customer(olena, oleh, "vip")
    assert as_user(oleh).delete(f"customers/{anna.pk}/flags/{flag.pk}").status_code == 404
    flag.refresh_from_db()
    assert flag.active


def test_customers_never_reach_flags(as_user, anna, oleh):
    actions.do_flag_customer(anna, oleh, "abusive")
    client = as_user(anna.user)
    assert client.get(f"customers/{anna.pk}/flags").status_code == 404
    assert client.post(f"customers/{anna.pk}/flags", {"kind": "vip"}).status_code == 404
