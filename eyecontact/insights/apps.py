from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "eyecontact.insights"
    label = "insights"
    verbose_name = "Keep in touch and insights"
