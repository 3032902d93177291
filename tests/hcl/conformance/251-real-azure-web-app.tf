terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.100"
    }
  }
}

provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy = false
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}

locals {
  location = "westeurope"
  name     = "contoso-${var.environment}"
  app_settings = {
    "WEBSITE_RUN_FROM_PACKAGE"              = "1"
    "APPINSIGHTS_INSTRUMENTATIONKEY"        = azurerm_application_insights.this.instrumentation_key
    "APPLICATIONINSIGHTS_CONNECTION_STRING" = azurerm_application_insights.this.connection_string
    "KeyVaultUri"                           = azurerm_key_vault.this.vault_uri
  }
}

resource "azurerm_resource_group" "this" {
  name     = "rg-${local.name}"
  location = local.location
}

resource "azurerm_service_plan" "this" {
  name                = "asp-${local.name}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  os_type             = "Linux"
  sku_name            = var.environment == "prod" ? "P1v3" : "B1"
}

resource "azurerm_linux_web_app" "this" {
  name                = "app-${local.name}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_service_plan.this.location
  service_plan_id     = azurerm_service_plan.this.id
  https_only          = true

  identity {
    type = "SystemAssigned"
  }

  site_config {
    always_on         = var.environment == "prod"
    ftps_state        = "Disabled"
    http2_enabled     = true
    minimum_tls_version = "1.2"

    application_stack {
      dotnet_version = "8.0"
    }

    dynamic "ip_restriction" {
      for_each = var.allowed_ips
      content {
        name       = "allow-${ip_restriction.key}"
        ip_address = ip_restriction.value
        priority   = 100 + ip_restriction.key
        action     = "Allow"
      }
    }
  }

  app_settings = local.app_settings

  connection_string {
    name  = "Default"
    type  = "SQLAzure"
    value = "Server=tcp:${azurerm_mssql_server.this.fully_qualified_domain_name},1433;Database=${azurerm_mssql_database.this.name};Authentication=Active Directory Managed Identity;"
  }

  logs {
    http_logs {
      file_system {
        retention_in_days = 7
        retention_in_mb   = 35
      }
    }
  }

  sticky_settings {
    app_setting_names = ["KeyVaultUri"]
  }
}

resource "azurerm_application_insights" "this" {
  name                = "appi-${local.name}"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  application_type    = "web"
}

data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "this" {
  name                       = substr(replace("kv-${local.name}", "-", ""), 0, 24)
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 7
  purge_protection_enabled   = var.environment == "prod"

  access_policy {
    tenant_id = data.azurerm_client_config.current.tenant_id
    object_id = azurerm_linux_web_app.this.identity[0].principal_id

    secret_permissions = ["Get", "List"]
  }
}

resource "azurerm_mssql_server" "this" {
  name                         = "sql-${local.name}"
  resource_group_name          = azurerm_resource_group.this.name
  location                     = azurerm_resource_group.this.location
  version                      = "12.0"
  minimum_tls_version          = "1.2"

  azuread_administrator {
    login_username              = "sqladmins"
    object_id                   = var.sql_admin_group_id
    azuread_authentication_only = true
  }
}

resource "azurerm_mssql_database" "this" {
  name        = "sqldb-${local.name}"
  server_id   = azurerm_mssql_server.this.id
  sku_name    = "S0"
  max_size_gb = 10

  short_term_retention_policy {
    retention_days = 7
  }

  lifecycle {
    prevent_destroy = true
  }
}
