"""The same preflight answer without a body: CloudFront sends it as is."""


def handler(event, context):
    return {
        "status": "204",
        "statusDescription": "No Content",
        "headers": {"access-control-allow-origin": [{"key": "Access-Control-Allow-Origin", "value": "*"}]},
    }
