"""The CardDAV address books under /dav/ (see :mod:`.dav`)."""

from django.urls import path

from . import dav

urlpatterns = [
    path("", dav.root, name="root"),
    path("principals/<int:user_id>/", dav.principal, name="principal"),
    path("addressbooks/", dav.home, name="home"),
    path("addressbooks/<slug:slug>/", dav.address_book, name="address_book"),
    path("addressbooks/<slug:slug>/<str:name>", dav.card, name="card"),
]
