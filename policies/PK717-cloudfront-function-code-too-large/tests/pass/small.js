function handler(event) {
    return event.request;
}
