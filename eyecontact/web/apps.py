from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "eyecontact.web"
    label = "web"
    verbose_name = "Web app"
