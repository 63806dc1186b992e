from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "eyecontact.web"
    label = "web"
    verbose_name = "Web app"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .second_factor import remember_second_factor

        user_logged_in.connect(remember_second_factor, dispatch_uid="eyecontact-second-factor")
