"""factory_boy factories shared by the suite; apps add theirs in their own modules under tests/."""

from django.contrib.auth import get_user_model

import factory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n:04d}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"试{n}")
    password = factory.django.Password("pass-Word-123")
