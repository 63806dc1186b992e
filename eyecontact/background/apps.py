from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "eyecontact.background"
    label = "background"
    verbose_name = "Background work"
