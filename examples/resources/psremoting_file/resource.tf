# A settings file written as text (UTF-8); a hand edit on the host shows as drift of sha256.
resource "psremoting_file" "settings" {
  host    = "web1.corp.example"
  path    = "C:\\ProgramData\\App\\settings.json"
  content = jsonencode({ environment = "production", port = 8443 })
}

# A module copied from the working directory; a changed local file plans an update.
resource "psremoting_file" "module" {
  host   = "web1.corp.example"
  path   = "C:\\Program Files\\WindowsPowerShell\\Modules\\OpsTools\\OpsTools.psm1"
  source = "${path.module}/modules/OpsTools/OpsTools.psm1"
}

# A binary file, and a secret that never shows in plans or logs.
resource "psremoting_file" "logo" {
  host           = "web1.corp.example"
  path           = "C:\\inetpub\\wwwroot\\logo.png"
  content_base64 = "iVBORw0KGgo="
}

variable "api_key" {
  type      = string
  sensitive = true
}

resource "psremoting_file" "api_key" {
  host              = "web1.corp.example"
  path              = "C:\\ProgramData\\App\\api-key.txt"
  sensitive_content = var.api_key
}
