from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "eyecontact.imports"
    label = "imports"
    verbose_name = "Imports"
