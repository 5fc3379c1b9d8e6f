from config.settings import CONFIGS, Config, DevelopmentConfig, ProductionConfig, TestingConfig, config_from_env

__all__ = ["CONFIGS", "Config", "DevelopmentConfig", "ProductionConfig", "TestingConfig", "config_from_env"]
