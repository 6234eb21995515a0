^cloud: stop: IncorrectInstanceState: the instance 'i-0[0-9a-f]{16}' is pending: it cannot be stopped$
