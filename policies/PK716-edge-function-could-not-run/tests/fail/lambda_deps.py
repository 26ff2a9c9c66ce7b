def handler(event, context):
    import boto3  # provided by the Lambda runtime, not here

    return boto3 and event["Records"][0]["cf"]["request"]


def plain(event, context):
    return event["Records"][0]["cf"]["request"]
