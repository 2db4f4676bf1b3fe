from django.urls import path

from drugatlas.legislation import views

app_name = "legislation"
urlpatterns = [
    path("", views.bill_list, name="list"),
    path("<int:ref>/", views.bill_detail, name="bill_by_id"),
    path("<slug:ref>/", views.bill_detail, name="bill"),
]
