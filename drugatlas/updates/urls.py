from django.urls import path

from . import views

app_name = "updates"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("thanks/", views.thanks, name="thanks"),
    # Links in emails (GET, token in the path) and the buttons they show (POST, token in the body).
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirm/", views.confirm_post, name="confirm_post"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),  # + RFC 8058 POST
    path("unsubscribe/", views.unsubscribe_post, name="unsubscribe_post"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/", views.preferences_post, name="preferences_post"),
    path("erase/<str:token>/", views.erase, name="erase"),
    path("erase/", views.erase_post, name="erase_post"),
]
