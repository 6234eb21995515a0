partition: no command given
