"""A CORS preflight answered in a viewer-request function: 204 with a body is a 502 (PK710)."""


def handler(event, context):
    return {
        "status": "204",
        "statusDescription": "No Content",
        "headers": {"access-control-allow-origin": [{"key": "Access-Control-Allow-Origin", "value": "*"}]},
        "body": "OK",
    }
