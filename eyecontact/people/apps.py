from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "eyecontact.people"
    label = "people"
    verbose_name = "People and touches"
