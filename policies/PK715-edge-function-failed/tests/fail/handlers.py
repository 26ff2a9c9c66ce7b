import time


def handler(event, context):
    return event["Records"][0]["cf"]["request"]


def slow(event, context):
    time.sleep(5)
    return event["Records"][0]["cf"]["request"]


def raises(event, context):
    return event["Records"][0]["cf"]["request"]["headers"]["x-user-id"][0]["value"]
