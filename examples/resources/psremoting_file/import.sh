# A file that exists on the host, as <host>/<path>; the next plan compares its SHA-256 with the declared content.
terraform import psremoting_file.settings 'web1.corp.example/C:\ProgramData\App\settings.json'
