"""Officer sign-in, sign-out, forced password change and throttling of failed attempts."""

from django.urls import reverse

import pytest

from tests.conftest import make_user


@pytest.mark.django_db
def test_login_page_renders_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_officer_signs_in_and_out(client, officer):
    response = client.post(reverse("login"), {"username": "officer1", "password": "pass-Word-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "赵强" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_error(client, officer):
    response = client.post(reverse("login"), {"username": "officer1", "password": "nope"})
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled(client, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": "officer1", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    # Even the right password is refused while the lock lasts.
    response = client.post(
        reverse("login"), {"username": "officer1", "password": "pass-Word-123"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_first_login_forces_a_password_change(client):
    user = make_user("newbie", must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass-Word-123", "new_password1": "Qiang-Xue-2026", "new_password2": "Qiang-Xue-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get(reverse("courses:my_learning")).status_code == 200


@pytest.mark.django_db
def test_officer_pages_require_login(client):
    for name in ("courses:my_learning", "exams:my_exams", "my_results"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_chinese_names_read_family_name_first():
    user = make_user("wangfang", last_name="王", first_name="芳")
    assert user.get_full_name() == "王芳"
    assert str(user) == "王芳"
