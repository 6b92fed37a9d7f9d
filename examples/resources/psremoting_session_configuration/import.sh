# host/name, where host is what the resource's host attribute holds (a name, name:port or a URL)
terraform import psremoting_session_configuration.ops web1.corp.example/Ops.Restricted
terraform import psremoting_session_configuration.builtin https://web1.corp.example:5986/wsman/microsoft.powershell
